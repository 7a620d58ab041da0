// What the rep sees after a scan that did not go straight to a customer page.
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { CustomerBrief, ScanRoute } from '../lib/scan-route';
import type { NewCustomerBody } from '../services/endpoints';
import { ErrorLine, Section } from '../ui/bits';
import { Button, Input } from '../ui/nut';
import { NewCustomerForm } from './NewCustomerForm';

type Props = {
  route: ScanRoute;
  saving?: boolean;
  saveError?: string | null;
  onOpenCustomer(c: CustomerBrief): void;
  onCreate(body: NewCustomerBody): void;
  onSearch(q: string): void;
  onRescan(): void;
};

function CustomerRow({ c, onOpen }: { c: CustomerBrief; onOpen(c: CustomerBrief): void }) {
  return (
    <View className="list-item" onClick={() => onOpen(c)} data-testid="candidate">
      <Text className="strong">{c.name}</Text>
      <Text className="muted">
        {[c.org, c.title].filter(Boolean).join(' · ') || '—'} · 负责人 {c.owner.name}
        {c.access === 'limited' ? '（他人客户）' : ''}
      </Text>
    </View>
  );
}

export function ScanResultView({ route, saving, saveError, onOpenCustomer, onCreate, onSearch, onRescan }: Props) {
  const [phone, setPhone] = useState('');

  switch (route.kind) {
    case 'existing':
      return <Text className="muted">正在打开客户…</Text>;
    case 'limited':
      return (
        <Section title="这位客户已有负责人">
          <View data-testid="scan-limited" className="stack">
            <Text className="title-xl">{route.customer.name}</Text>
            {route.customer.org ? <Text className="muted">{route.customer.org}</Text> : null}
            <Text>
              该客户属于 <Text className="strong">{route.customer.owner.name}</Text>，你无法查看其跟进记录。
            </Text>
            <Button size="large" block onClick={onRescan}>
              再扫一张
            </Button>
          </View>
        </Section>
      );
    case 'ambiguous':
      return (
        <Section title="找到多位相似客户，请选择">
          <View data-testid="scan-ambiguous">
            {route.candidates.map((c) => (
              <CustomerRow key={c.id} c={c} onOpen={onOpenCustomer} />
            ))}
          </View>
          <Text className="muted">都不是？下面可以新建客户。</Text>
          <View style={{ marginTop: '12px' }}>
            <NewCustomerForm card={route.card} saving={saving} error={saveError} onSave={onCreate} />
          </View>
        </Section>
      );
    case 'new':
      return (
        <Section title="新客户（已按名片填好，可修改）">
          <View data-testid="scan-new">
            <NewCustomerForm card={route.card} saving={saving} error={saveError} onSave={onCreate} />
          </View>
        </Section>
      );
    case 'unreadable':
    case 'error':
      return (
        <Section title={route.kind === 'unreadable' ? '没有识别出名片' : '识别失败'}>
          <View data-testid={`scan-${route.kind}`} className="stack">
            <ErrorLine text={route.message} />
            <Text className="field__label">输入手机号查找客户</Text>
            <View className="field__box">
              <Input
                value={phone}
                onChange={setPhone}
                type="tel"
                placeholder="手机号或其中几位"
                clearable
                data-testid="phone-search"
              />
            </View>
            <Button type="primary" size="large" block disabled={!phone.trim()} onClick={() => onSearch(phone.trim())}>
              查找
            </Button>
            <Button size="large" block onClick={onRescan}>
              重新扫描
            </Button>
          </View>
        </Section>
      );
  }
}
