// The pre-filled new-customer form for a `new` scan: edit, then save.
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { cardDisplayName, type ScannedCard } from '../lib/scan-route';
import type { NewCustomerBody } from '../services/endpoints';
import { ErrorLine } from '../ui/bits';
import { Button, Input } from '../ui/nut';

type Props = { card: ScannedCard; saving?: boolean; error?: string | null; onSave(body: NewCustomerBody): void };

export function NewCustomerForm({ card, saving, error, onSave }: Props) {
  const [name, setName] = useState(cardDisplayName(card));
  const [org, setOrg] = useState(card.org ?? '');
  const [title, setTitle] = useState(card.title ?? '');
  const [phone, setPhone] = useState(card.phones[0]?.raw ?? '');
  const [email, setEmail] = useState(card.emails[0] ?? '');
  const [nameError, setNameError] = useState<string | null>(null);

  const save = () => {
    if (!name.trim()) {
      setNameError('请填写客户姓名');
      return;
    }
    setNameError(null);
    // Phones/e-mails the rep did not touch keep the API's reading (e164, type, flags).
    const firstPhone = card.phones[0];
    const phones =
      phone.trim() === (firstPhone?.raw ?? '')
        ? card.phones
        : [{ raw: phone.trim() }, ...card.phones.slice(1)].filter((p) => p.raw);
    const emails = [email.trim(), ...card.emails.slice(1)].filter(Boolean);
    const body: NewCustomerBody = { name: name.trim(), phones, emails, card };
    if (org.trim()) body.org = org.trim();
    if (title.trim()) body.title = title.trim();
    if (card.address) body.address = card.address;
    onSave(body);
  };

  const field = (
    label: string,
    value: string,
    set: (v: string) => void,
    testId: string,
    type: 'text' | 'tel' = 'text',
  ) => (
    <View className="field">
      <Text className="field__label">{label}</Text>
      <View className="field__box">
        <Input value={value} onChange={set} type={type} placeholder={label} clearable data-testid={testId} />
      </View>
    </View>
  );

  return (
    <View data-testid="new-customer-form">
      {field('姓名', name, setName, 'new-name')}
      <ErrorLine text={nameError} />
      {field('公司', org, setOrg, 'new-org')}
      {field('职务', title, setTitle, 'new-title')}
      {field('手机/电话', phone, setPhone, 'new-phone', 'tel')}
      {field('邮箱', email, setEmail, 'new-email')}
      <ErrorLine text={error} />
      <Button
        type="primary"
        size="large"
        block
        loading={saving}
        disabled={saving}
        onClick={save}
        data-testid="save-customer"
      >
        保存新客户
      </Button>
    </View>
  );
}
