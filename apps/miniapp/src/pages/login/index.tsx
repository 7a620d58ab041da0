import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { platformLabel } from '../../platform/auth';
import { apiBase, apiBaseConfigurable, setApiBase } from '../../services/config';
import { type DemoUser, fetchDemoUsers, getSession, loginAsDemo, loginWithPlatform } from '../../services/session';
import { visitQueue } from '../../services/visits';
import { ErrorLine, Section } from '../../ui/bits';
import { Button, Input } from '../../ui/nut';

const ROLE_LABEL: Record<string, string> = { rep: '销售', supervisor: '主管', admin: '管理员' };

function goHome(redirect?: string) {
  visitQueue.flush().catch(() => {});
  const target = redirect ? decodeURIComponent(redirect) : '';
  if (target.startsWith('/pages/') && !target.startsWith('/pages/home') && !target.startsWith('/pages/tasks')) {
    Taro.reLaunch({ url: target });
  } else {
    Taro.reLaunch({ url: target.startsWith('/pages/tasks') ? '/pages/tasks/index' : '/pages/home/index' });
  }
}

export default function Login() {
  const { params } = useRouter();
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [userId, setUserId] = useState('');
  const [base, setBase] = useState(apiBase());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isH5 = process.env.TARO_ENV === 'h5';

  const tryPlatform = async () => {
    setBusy(true);
    setError(null);
    try {
      if (await loginWithPlatform()) goHome(params.redirect);
      else setError(`无法从${platformLabel}获取登录凭证`);
    } catch (e) {
      setError(`登录失败：${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once when the page opens
  useEffect(() => {
    if (getSession()) {
      goHome(params.redirect);
      return;
    }
    if (!isH5) {
      if (!apiBaseConfigurable || apiBase()) tryPlatform();
      return;
    }
    fetchDemoUsers()
      .then(setUsers)
      .catch(() => setUsers([]));
  }, []);

  const demo = async (id: string) => {
    setBusy(true);
    setError(null);
    try {
      await loginAsDemo(id.trim());
      goHome(params.redirect);
    } catch (e) {
      setError(`登录失败：${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <View style={{ padding: '24px 4px 16px' }}>
        <Text className="title-xl">销售助手</Text>
        <View>
          <Text className="muted">扫名片 · 记拜访 · 不漏跟进</Text>
        </View>
      </View>

      {!isH5 ? (
        <Section title={`${platformLabel}登录`}>
          {apiBaseConfigurable ? (
            <View className="field">
              <Text className="field__label">服务器地址</Text>
              <View className="field__box">
                <Input value={base} onChange={setBase} placeholder="https://crm.example.com" clearable />
              </View>
            </View>
          ) : null}
          <Button
            type="primary"
            size="large"
            block
            loading={busy}
            onClick={() => {
              if (apiBaseConfigurable) setApiBase(base);
              tryPlatform();
            }}
          >
            {busy ? '正在登录…' : '登录'}
          </Button>
          <ErrorLine text={error} />
        </Section>
      ) : (
        <Section title="演示账号登录">
          {users === null ? <Text className="muted">正在加载演示账号…</Text> : null}
          {users && users.length > 0 ? (
            <View data-testid="demo-users">
              {users.map((u) => (
                <View
                  key={u.id}
                  className="list-item"
                  onClick={() => !busy && demo(u.id)}
                  data-testid="demo-user"
                  data-role={u.role}
                >
                  <View className="row">
                    <Text className="strong">{u.name}</Text>
                    <Text className="badge">{ROLE_LABEL[u.role] ?? u.role}</Text>
                  </View>
                  {u.team ? <Text className="muted">{u.team}</Text> : null}
                </View>
              ))}
            </View>
          ) : null}
          {users && users.length === 0 ? <Text className="muted">没有取到演示账号，请输入用户 ID：</Text> : null}
          {users !== null ? (
            <View className="stack" style={{ marginTop: '12px' }}>
              <View className="field__box">
                <Input
                  value={userId}
                  onChange={setUserId}
                  placeholder="用户 ID（UUID）"
                  clearable
                  data-testid="user-id"
                />
              </View>
              <Button size="large" block disabled={!userId.trim() || busy} onClick={() => demo(userId)}>
                用此 ID 登录
              </Button>
            </View>
          ) : null}
          <ErrorLine text={error} />
        </Section>
      )}
    </View>
  );
}
