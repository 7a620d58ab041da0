// Small building blocks on top of NutUI: sections, chips, empty/error states.
import { Text, View } from '@tarojs/components';
import type { PropsWithChildren, ReactNode } from 'react';

export function Section({ title, extra, children }: PropsWithChildren<{ title: string; extra?: ReactNode }>) {
  return (
    <View className="section">
      <View className="section__head">
        <Text className="section__title">{title}</Text>
        {extra}
      </View>
      {children}
    </View>
  );
}

type ChipProps = { label: string; active?: boolean; hint?: string; onClick: () => void; testId?: string };

/** A big (≥ 44 px) tappable choice. */
export function Chip({ label, active, hint, onClick, testId }: ChipProps) {
  return (
    <View
      className={`chip${active ? ' chip--active' : ''}`}
      onClick={onClick}
      data-testid={testId}
      aria-pressed={active ? 'true' : 'false'}
      role="button"
    >
      <Text className="chip__label">{label}</Text>
      {hint ? <Text className="chip__hint">{hint}</Text> : null}
    </View>
  );
}

export function Empty({ text }: { text: string }) {
  return (
    <View className="empty">
      <Text>{text}</Text>
    </View>
  );
}

export function ErrorLine({ text }: { text?: string | null }) {
  if (!text) return null;
  return (
    <View className="error-line" role="alert">
      <Text>{text}</Text>
    </View>
  );
}
