import type { TaskView } from '@crm/contract';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { type TaskAction, TaskCard } from '../../components/TaskCard';
import { copyText } from '../../platform/link';
import { ApiError } from '../../services/api';
import { ackTask, doneTask, listTasks } from '../../services/endpoints';
import { takeFocusTask } from '../../services/focus';
import { getUser, requireSession } from '../../services/session';
import { Empty, ErrorLine } from '../../ui/bits';

export default function Tasks() {
  const [tasks, setTasks] = useState<TaskView[] | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const role = getUser()?.role;
  const { params } = useRouter();

  const load = async () => {
    try {
      const list = await listTasks('open');
      // A WeCom/DingTalk card link (#/pages/tasks/index?taskId=… on H5, ?go=task&id=… at
      // launch) puts its card first.
      const focus = params.taskId ?? takeFocusTask();
      const hit = list.findIndex((t) => t.id === focus);
      setTasks(hit > 0 ? [list[hit] as TaskView, ...list.slice(0, hit), ...list.slice(hit + 1)] : list);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 0 ? '网络不可用' : (e as Error).message);
    }
  };

  useDidShow(() => {
    if (requireSession()) load();
  });
  usePullDownRefresh(() => {
    load().finally(() => Taro.stopPullDownRefresh());
  });

  const replace = (next: TaskView) => setTasks((list) => (list ?? []).map((t) => (t.id === next.id ? next : t)));

  const act = async (task: TaskView, action: TaskAction) => {
    const visit = () =>
      task.customer &&
      Taro.navigateTo({
        url: `/pages/visit/index?customerId=${task.customer.id}&name=${encodeURIComponent(task.customer.name)}`,
      });
    setBusyId(task.id);
    try {
      if (action === 'ack') replace(await ackTask(task.id));
      if (action === 'done') {
        replace(await doneTask(task.id));
        Taro.showToast({ title: '已处理', icon: 'success' });
      }
      // Taking over = acknowledging and recording the follow-up oneself; the visit closes the promise.
      if (action === 'takeover') {
        if (task.status === 'open') replace(await ackTask(task.id));
        visit();
      }
      if (action === 'visit') visit();
    } catch (e) {
      Taro.showToast({
        title: e instanceof ApiError && e.status === 0 ? '网络不可用' : (e as Error).message,
        icon: 'none',
      });
    } finally {
      setBusyId(null);
    }
  };

  const intro =
    role === 'supervisor'
      ? '下属承诺的跟进已超时 24 小时的客户'
      : role === 'rep'
        ? '每周五：90 天未联系的高价值客户和唤醒话术'
        : '待处理事项';

  return (
    <View className="page" data-testid="tasks-page">
      <Text className="muted" style={{ display: 'block', marginBottom: '8px' }}>
        {intro}
      </Text>
      <ErrorLine text={error} />
      {tasks === null && !error ? <Text className="muted">加载中…</Text> : null}
      {tasks && tasks.length === 0 ? <Empty text="没有待办，干得漂亮" /> : null}
      {(tasks ?? []).map((t) => (
        <TaskCard key={t.id} task={t} busy={busyId === t.id} onAction={act} onCopy={(text) => copyText(text)} />
      ))}
    </View>
  );
}
