import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../services/api';
import { type CustomerSummary, searchCustomers } from '../../services/endpoints';
import { type RecentCustomer, recentCustomers } from '../../services/recent';
import { identify, scanAndIdentify } from '../../services/scan-flow';
import { getUser, logout, requireSession } from '../../services/session';
import { visitQueue } from '../../services/visits';
import { Empty, ErrorLine, Section } from '../../ui/bits';
import { Button, Input, TextArea } from '../../ui/nut';

type Summary = CustomerSummary;
const ROLE_LABEL: Record<string, string> = { rep: '销售', supervisor: '主管', admin: '管理员' };

const openCustomer = (id: string) => Taro.navigateTo({ url: `/pages/customer/index?id=${id}` });

export default function Home() {
  const [recent, setRecent] = useState<RecentCustomer[]>([]);
  const [pending, setPending] = useState(0);
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Summary[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [scanNote, setScanNote] = useState<string | null>(null);
  const [showPaste, setShowPaste] = useState(process.env.TARO_ENV === 'h5');
  const [paste, setPaste] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const user = getUser();

  const refreshQueue = () => setPending(visitQueue.list().length);

  useDidShow(() => {
    if (!requireSession()) return;
    setRecent(recentCustomers());
    refreshQueue();
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscribe once; refreshQueue only sets state
  useEffect(() => visitQueue.subscribe(refreshQueue), []);

  useEffect(() => {
    clearTimeout(timer.current);
    const term = q.trim();
    if (!term) {
      setResults(null);
      return;
    }
    timer.current = setTimeout(() => {
      searchCustomers(term)
        .then((r) => {
          setResults(r.items);
          setSearchError(null);
        })
        .catch((e) => setSearchError(e instanceof ApiError && e.status === 0 ? '网络不可用，无法搜索' : '搜索失败'));
    }, 300);
  }, [q]);

  const scan = async () => {
    setScanNote(null);
    try {
      const reason = await scanAndIdentify();
      if (reason) {
        setScanNote(reason);
        setShowPaste(true);
      }
    } catch (e) {
      setScanNote(`扫码失败：${(e as Error).message}`);
    }
  };

  const submitPaste = async () => {
    if (!paste.trim()) return;
    try {
      await identify(paste.trim());
      setPaste('');
    } catch (e) {
      setScanNote(`识别失败：${(e as Error).message}`);
    }
  };

  return (
    <View className="page">
      <View className="row" style={{ marginBottom: '12px' }}>
        <Text className="muted">{user ? `${user.name} · ${ROLE_LABEL[user.role] ?? user.role}` : ''}</Text>
        <Text className="muted" onClick={logout} style={{ padding: '10px 0 10px 16px' }}>
          退出
        </Text>
      </View>

      {pending > 0 ? (
        <View
          className="section row"
          data-testid="pending-banner"
          onClick={() => visitQueue.flush().then(refreshQueue, refreshQueue)}
        >
          <Text>
            <Text className="badge badge--pending">待同步</Text> {pending} 条拜访记录
          </Text>
          <Text className="muted">点此立即同步</Text>
        </View>
      ) : null}

      <Button type="primary" size="xlarge" block className="scan-button" onClick={scan} data-testid="scan-button">
        扫名片
      </Button>
      <ErrorLine text={scanNote} />

      <View className="paste-box">
        {showPaste ? (
          <Section title="粘贴或输入名片内容">
            <View className="field__box">
              <TextArea
                value={paste}
                onChange={setPaste}
                placeholder="粘贴二维码里的文字（vCard、名片链接），或输入手机号"
                rows={3}
                data-testid="paste-input"
              />
            </View>
            <View style={{ marginTop: '8px' }}>
              <Button size="large" block disabled={!paste.trim()} onClick={submitPaste} data-testid="paste-submit">
                识别
              </Button>
            </View>
          </Section>
        ) : (
          <Text className="muted" onClick={() => setShowPaste(true)} style={{ display: 'block', padding: '12px 0' }}>
            扫不了？手动输入名片内容
          </Text>
        )}
      </View>

      <Section title="查找客户">
        <View className="field__box">
          <Input
            value={q}
            onChange={setQ}
            placeholder="姓名、公司、手机号、拼音首字母"
            clearable
            data-testid="search-input"
          />
        </View>
        <ErrorLine text={searchError} />
        {results ? (
          <View data-testid="search-results">
            {results.length === 0 ? <Empty text="没有找到" /> : null}
            {results.map((c) => (
              <View key={c.id} className="list-item" onClick={() => openCustomer(c.id)} data-testid="search-result">
                <Text className="strong">{c.name}</Text>
                <Text className="muted">
                  {c.org ?? '—'}
                  {c.access === 'limited' ? ` · 负责人 ${c.owner.name}` : ''}
                </Text>
              </View>
            ))}
          </View>
        ) : null}
      </Section>

      <Section title="最近客户">
        {recent.length === 0 ? <Empty text="扫过或打开过的客户会出现在这里" /> : null}
        {recent.map((c) => (
          <View key={c.id} className="list-item" onClick={() => openCustomer(c.id)} data-testid="recent-customer">
            <Text className="strong">{c.name}</Text>
            {c.org ? <Text className="muted">{c.org}</Text> : null}
          </View>
        ))}
      </Section>
    </View>
  );
}
