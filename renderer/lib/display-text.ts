// The escaping lives in shared/ so the engine's log lines escape names exactly as the views do.
export { displayText } from '../../shared/display-text';
