// Taro's components as plain DOM for jsdom.
import type { PropsWithChildren } from 'react';

type Props = PropsWithChildren<Record<string, unknown>>;

function pass({ children, className, onClick, style, ...rest }: Props) {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest))
    if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role') data[k] = v;
  return { children, className: className as string, onClick: onClick as () => void, style: style as object, ...data };
}

export const View = (p: Props) => <div {...pass(p)} />;
export const Text = (p: Props) => <span {...pass(p)} />;
export const Button = (p: Props) => <button type="button" {...pass(p)} />;
export const ScrollView = View;
export const Image = () => null;
// Picker: renders its trigger; tests drive changes through the trigger's data-testid when needed.
export const Picker = ({ children }: Props) => <div>{children}</div>;
