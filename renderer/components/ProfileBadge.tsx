// The device profile a transfer ran under (shared/device-profiles.ts), as a small badge beside its
// file name: a transfer that negotiated differently from the rest says so where it is listed.
import { findProfile } from '../../shared/device-profiles';
import { displayText } from '../lib/display-text';

export function ProfileBadge({ id }: { id: string | undefined }) {
  if (id === undefined) return null;
  const profile = findProfile(id);
  const name = profile?.name ?? displayText(id, 40);
  return (
    <span
      className="pill muted profile-badge"
      title={`Device profile: ${name}${profile ? `. ${profile.reason}` : ''}`}
      data-profile={id}
    >
      <span className="visually-hidden">profile </span>
      {name}
    </span>
  );
}
