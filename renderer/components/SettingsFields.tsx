// Small labelled inputs for the settings form: every input has a label, a hint and its error
// tied to it with aria-describedby.
import type { ReactNode } from 'react';

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined) => ReactNode;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  const ids = [hint !== undefined ? `${id}-hint` : '', error !== undefined ? `${id}-error` : ''].filter(
    Boolean,
  );
  return (
    <div className={`field${error !== undefined ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(ids.length > 0 ? ids.join(' ') : undefined)}
      {hint !== undefined && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

interface TextProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string;
  suffix?: string;
  multiline?: boolean;
  placeholder?: string;
  numeric?: boolean;
}

export function TextField({
  id,
  label,
  value,
  onChange,
  hint,
  error,
  suffix,
  multiline,
  placeholder,
  numeric,
}: TextProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy) =>
        multiline ? (
          <textarea
            id={id}
            className="mono"
            rows={3}
            value={value}
            placeholder={placeholder}
            spellCheck={false}
            aria-invalid={error !== undefined}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <span className="input-with-suffix">
            <input
              id={id}
              value={value}
              placeholder={placeholder}
              inputMode={numeric ? 'numeric' : undefined}
              spellCheck={false}
              aria-invalid={error !== undefined}
              aria-describedby={describedBy}
              onChange={(e) => onChange(e.target.value)}
            />
            {suffix !== undefined && <span className="suffix">{suffix}</span>}
          </span>
        )
      }
    </Field>
  );
}

interface ToggleProps {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  error?: string;
}

export function Toggle({ id, label, checked, onChange, hint, error }: ToggleProps) {
  const describedBy = [hint !== undefined ? `${id}-hint` : '', error !== undefined ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field toggle-field">
      <label className="toggle" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={checked}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span className="switch" aria-hidden="true" />
        <span>{label}</span>
      </label>
      {hint !== undefined && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
