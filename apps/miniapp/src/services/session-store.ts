import { getItem, removeItem, setItem } from '../platform/storage';

export type SessionUser = { id: string; name: string; role: 'rep' | 'supervisor' | 'admin'; tenantId: string };
export type Session = { token: string; user: SessionUser };

const KEY = 'crm.session';
const DEMO_KEY = 'crm.demoUserId';

export const getSession = () => getItem<Session>(KEY);
export const getToken = () => getSession()?.token;
export const getUser = () => getSession()?.user;
export const saveSession = (s: Session) => setItem(KEY, s);
export const clearSession = () => removeItem(KEY);
export const getDemoUserId = () => getItem<string>(DEMO_KEY);
export const setDemoUserId = (id: string) => setItem(DEMO_KEY, id);
export const clearDemoUserId = () => removeItem(DEMO_KEY);
