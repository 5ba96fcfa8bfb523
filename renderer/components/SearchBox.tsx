// The search field of the log, syslog and requests views: an icon, a label for screen readers
// (the placeholder is not one) and the input.
import { SearchIcon } from './Icons';

interface Props {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}

export function SearchBox({ id, label, placeholder, value, onChange }: Props) {
  return (
    <div className="search">
      <SearchIcon />
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="search"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
