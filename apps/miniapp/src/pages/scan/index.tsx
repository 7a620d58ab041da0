import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ScanResultView } from '../../components/ScanResultView';
import type { CustomerBrief, ScanRoute } from '../../lib/scan-route';
import { ApiError } from '../../services/api';
import { createCustomer, type NewCustomerBody, searchCustomers } from '../../services/endpoints';
import { scanAndIdentify } from '../../services/scan-flow';
import { getScanResult } from '../../services/scan-session';
import { requireSession } from '../../services/session';
import { Empty, Section } from '../../ui/bits';

export default function ScanResult() {
  const [route, setRoute] = useState<ScanRoute | null>(() => getScanResult()?.route ?? null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [found, setFound] = useState<CustomerBrief[] | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once when the page opens
  useEffect(() => {
    if (!requireSession()) return;
    // Reloaded H5 page: the scan answer lived in memory only.
    if (!route) Taro.reLaunch({ url: '/pages/home/index' });
  }, []);

  if (!route) return <Empty text="没有识别结果" />;

  const openCustomer = (c: CustomerBrief) => {
    if (c.access === 'limited') {
      setRoute({ kind: 'limited', customer: c });
      return;
    }
    Taro.redirectTo({ url: `/pages/customer/index?id=${c.id}` });
  };

  const create = async (body: NewCustomerBody) => {
    setSaving(true);
    setSaveError(null);
    try {
      const view = await createCustomer(body);
      Taro.showToast({ title: '已新建客户', icon: 'success' });
      Taro.redirectTo({ url: `/pages/customer/index?id=${view.id}` });
    } catch (e) {
      const msg = e instanceof ApiError && e.status === 0 ? '网络不可用，请联网后保存' : (e as Error).message;
      setSaveError(msg);
    } finally {
      setSaving(false);
    }
  };

  const search = async (q: string) => {
    try {
      setFound((await searchCustomers(q)).items);
    } catch (e) {
      Taro.showToast({ title: e instanceof ApiError && e.status === 0 ? '网络不可用' : '查找失败', icon: 'none' });
    }
  };

  const rescan = async () => {
    try {
      const reason = await scanAndIdentify({ replace: true });
      if (reason) Taro.showToast({ title: reason, icon: 'none' });
    } catch (e) {
      Taro.showToast({ title: (e as Error).message, icon: 'none' });
    }
  };

  return (
    <View className="page">
      <ScanResultView
        route={route}
        saving={saving}
        saveError={saveError}
        onOpenCustomer={openCustomer}
        onCreate={create}
        onSearch={search}
        onRescan={rescan}
      />
      {found ? (
        <Section title="查找结果">
          {found.length === 0 ? <Empty text="没有找到这个号码的客户" /> : null}
          {found.map((c) => (
            <View key={c.id} className="list-item" onClick={() => openCustomer(c)} data-testid="phone-result">
              <Text className="strong">{c.name}</Text>
              <Text className="muted">
                {c.org ?? '—'} · 负责人 {c.owner.name}
              </Text>
            </View>
          ))}
        </Section>
      ) : null}
    </View>
  );
}
