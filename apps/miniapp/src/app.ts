import Taro from '@tarojs/taro';
import { type PropsWithChildren, useEffect } from 'react';
import { routeFromQuery } from './lib/deeplink';
import { launchQuery } from './platform/link';
import { setFocusTask } from './services/focus';
import { getSession } from './services/session';
import { visitQueue } from './services/visits';
import './app.css';

// Visits recorded offline go out on app start and whenever the network comes back.
function flushQueue() {
  if (getSession()) visitQueue.flush().catch(() => {});
}

function openLaunchLink() {
  const target = routeFromQuery(launchQuery());
  if (!target || !getSession()) return;
  setFocusTask(target.taskId);
  if (target.tab) Taro.switchTab({ url: target.url });
  else Taro.navigateTo({ url: target.url });
}

export default function App({ children }: PropsWithChildren) {
  useEffect(() => {
    flushQueue();
    openLaunchLink();
    const onNetwork = (res: { isConnected: boolean }) => {
      if (res.isConnected) flushQueue();
    };
    Taro.onNetworkStatusChange(onNetwork);
    if (process.env.TARO_ENV === 'h5') window.addEventListener('online', flushQueue);
    return () => {
      Taro.offNetworkStatusChange?.(onNetwork);
      if (process.env.TARO_ENV === 'h5') window.removeEventListener('online', flushQueue);
    };
  }, []);
  return children;
}
