// NutUI stand-ins with the same props the app uses.
import type { PropsWithChildren } from 'react';

// biome-ignore lint/suspicious/noExplicitAny: a loose test double
type Any = PropsWithChildren<Record<string, any>>;

export const Button = ({ children, onClick, disabled, loading, 'data-testid': testId }: Any) => (
  <button type="button" onClick={onClick} disabled={disabled || loading} data-testid={testId}>
    {children}
  </button>
);
export const Input = ({ value, onChange, placeholder, 'data-testid': testId }: Any) => (
  <input value={value} placeholder={placeholder} data-testid={testId} onChange={(e) => onChange?.(e.target.value)} />
);
export const TextArea = ({ value, onChange, placeholder, 'data-testid': testId }: Any) => (
  <textarea value={value} placeholder={placeholder} data-testid={testId} onChange={(e) => onChange?.(e.target.value)} />
);
export const Tag = ({ children }: Any) => <span>{children}</span>;
