import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { VisitForm } from '../../components/VisitForm';
import { deviceOffset } from '../../lib/quick-times';
import { toVisitBody, type VisitDraft } from '../../lib/visit-form';
import { getCustomer } from '../../services/endpoints';
import { requireSession } from '../../services/session';
import { newClientId, visitQueue } from '../../services/visits';

/** Chips for the core need: the customer's tags, then needs from recent visits. */
function chipsFrom(view: Awaited<ReturnType<typeof getCustomer>>): string[] {
  const needs = (view.timeline ?? []).filter((t) => t.kind === 'visit').map((t) => t.summary.slice(0, 16));
  return Array.from(new Set([...(view.tags ?? []), ...needs])).slice(0, 8);
}

export default function VisitPage() {
  const { params } = useRouter();
  const customerId = params.customerId ?? '';
  const [customer, setCustomer] = useState({
    id: customerId,
    name: decodeURIComponent(params.name ?? ''),
    org: decodeURIComponent(params.org ?? '') || null,
  });
  const [chips, setChips] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const now = useCallback(() => new Date(), []);

  useEffect(() => {
    if (!requireSession()) return;
    // Works offline too: name came in the URL; chips are a bonus.
    getCustomer(customerId, { limit: 10 })
      .then((v) => {
        setCustomer({ id: v.id, name: v.name, org: v.org });
        setChips(chipsFrom(v));
      })
      .catch(() => {});
  }, [customerId]);

  const submit = async (draft: VisitDraft) => {
    setSaving(true);
    try {
      const clientId = await newClientId();
      // Stored first, sent second: a crash or a dead network can't lose it.
      visitQueue.enqueue({ clientId, body: toVisitBody(draft, clientId, new Date()), customerName: customer.name });
      await visitQueue.flush();
      const stillQueued = visitQueue.list().find((i) => i.clientId === clientId);
      if (stillQueued?.status === 'failed') {
        // Refused by the API (not a network problem): the form is still open, so fix it here.
        visitQueue.discard(clientId);
        Taro.showModal({ title: '保存失败', content: stillQueued.error ?? '请检查后重试', showCancel: false });
        return;
      }
      Taro.showToast({ title: stillQueued ? '已保存，待同步' : '已保存', icon: stillQueued ? 'none' : 'success' });
      setTimeout(() => {
        Taro.navigateBack().catch(() => Taro.redirectTo({ url: `/pages/customer/index?id=${customerId}` }));
      }, 400);
    } finally {
      setSaving(false);
    }
  };

  return (
    <View className="page page--fixed-bottom">
      <VisitForm
        customer={customer}
        needChips={chips}
        now={now}
        offsetMin={deviceOffset()}
        saving={saving}
        onSubmit={submit}
      />
    </View>
  );
}
