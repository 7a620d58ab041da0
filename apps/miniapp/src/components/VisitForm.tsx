// The three-field record: customer (given), core need, next contact — plus an optional
// action type. 明天10:00 is preselected so scan → 记录拜访 → 保存 is three taps plus typing.
import { Picker, Text, View } from '@tarojs/components';
import { useMemo, useState } from 'react';
import { ACTION_TYPES, type ActionTypeValue, formatDate, formatDateTime } from '../lib/format';
import { fromLocalInput, type QuickTimeKey, quickTimes } from '../lib/quick-times';
import { isValid, type VisitDraft, type VisitErrors, validateVisit } from '../lib/visit-form';
import { Chip, ErrorLine } from '../ui/bits';
import { Button, TextArea } from '../ui/nut';

export type VisitFormProps = {
  customer: { id: string; name: string; org?: string | null };
  /** Quick chips for the core need: the customer's tags and recent needs. */
  needChips: string[];
  now: () => Date;
  offsetMin: number;
  saving?: boolean;
  onSubmit(draft: VisitDraft): void;
};

type TimeChoice = QuickTimeKey | 'custom';

export function VisitForm({ customer, needChips, now, offsetMin, saving, onSubmit }: VisitFormProps) {
  const opened = useMemo(() => now(), [now]);
  const quick = useMemo(() => quickTimes(opened, offsetMin), [opened, offsetMin]);
  const [coreNeed, setCoreNeed] = useState('');
  const [choice, setChoice] = useState<TimeChoice>('tomorrow10');
  const [customDate, setCustomDate] = useState(formatDate(quick[0]?.at ?? opened, offsetMin));
  const [customTime, setCustomTime] = useState('10:00');
  const [actionType, setActionType] = useState<ActionTypeValue | null>(null);
  const [errors, setErrors] = useState<VisitErrors>({});

  const nextContactAt =
    choice === 'custom'
      ? fromLocalInput(customDate, customTime, offsetMin)
      : (quick.find((q) => q.key === choice)?.at ?? null);

  const addChip = (text: string) => setCoreNeed((v) => (v.includes(text) ? v : v ? `${v}；${text}` : text));

  const submit = () => {
    const draft: VisitDraft = { customerId: customer.id, coreNeed, nextContactAt, actionType };
    const found = validateVisit(draft, now());
    setErrors(found);
    if (isValid(found)) onSubmit(draft);
  };

  return (
    <View className="visit-form" data-testid="visit-form">
      <View className="field">
        <Text className="field__label">客户</Text>
        <View className="row">
          <Text className="strong" data-testid="visit-customer">
            {customer.name}
          </Text>
          {customer.org ? <Text className="muted">{customer.org}</Text> : null}
        </View>
        <ErrorLine text={errors.customerId} />
      </View>

      <View className="field">
        <Text className="field__label">本次沟通核心诉求</Text>
        <View className="field__box">
          <TextArea
            value={coreNeed}
            onChange={(v: string) => setCoreNeed(v)}
            placeholder="客户这次最关心什么？"
            maxLength={2000}
            rows={3}
            autoSize
            data-testid="core-need"
          />
        </View>
        {needChips.length > 0 ? (
          <View className="wrap" style={{ marginTop: '8px' }}>
            {needChips.slice(0, 8).map((c) => (
              <Chip key={c} label={c} onClick={() => addChip(c)} testId="need-chip" />
            ))}
          </View>
        ) : null}
        <ErrorLine text={errors.coreNeed} />
      </View>

      <View className="field">
        <Text className="field__label">承诺下次联系时间</Text>
        <View className="wrap">
          {quick.map((q) => (
            <Chip
              key={q.key}
              label={q.label}
              hint={formatDateTime(q.at, offsetMin)}
              active={choice === q.key}
              onClick={() => setChoice(q.key)}
              testId={`time-${q.key}`}
            />
          ))}
          <Chip label="自定义" active={choice === 'custom'} onClick={() => setChoice('custom')} testId="time-custom" />
        </View>
        {choice === 'custom' ? (
          <View className="row" style={{ marginTop: '8px' }}>
            <Picker
              mode="date"
              value={customDate}
              start={formatDate(opened, offsetMin)}
              onChange={(e) => setCustomDate(String(e.detail.value))}
            >
              <View className="chip chip--active" data-testid="custom-date">
                <Text>{customDate}</Text>
              </View>
            </Picker>
            <Picker mode="time" value={customTime} onChange={(e) => setCustomTime(String(e.detail.value))}>
              <View className="chip chip--active" data-testid="custom-time">
                <Text>{customTime}</Text>
              </View>
            </Picker>
          </View>
        ) : null}
        {nextContactAt ? (
          <Text className="muted" data-testid="next-contact-preview">
            下次联系：{formatDateTime(nextContactAt, offsetMin)}
          </Text>
        ) : null}
        <ErrorLine text={errors.nextContactAt} />
      </View>

      <View className="field">
        <Text className="field__label">
          动作类型 <Text className="muted">（可选）</Text>
        </Text>
        <View className="wrap">
          {ACTION_TYPES.map((a) => (
            <Chip
              key={a.value}
              label={a.label}
              active={actionType === a.value}
              onClick={() => setActionType(actionType === a.value ? null : a.value)}
              testId={`action-${a.value}`}
            />
          ))}
        </View>
      </View>

      <View className="fixed-bottom">
        <Button
          type="primary"
          size="large"
          block
          loading={saving}
          disabled={saving}
          onClick={submit}
          data-testid="save-visit"
        >
          保存
        </Button>
      </View>
    </View>
  );
}
