import { fireEvent, render, screen } from '@testing-library/react';
import type { CustomerBrief, ScannedCard, ScanRoute } from '../lib/scan-route';
import { ScanResultView } from './ScanResultView';

const card: ScannedCard = {
  format: 'vcard',
  name: '王强',
  org: '星河科技',
  title: '采购经理',
  phones: [{ e164: '+8613900139000', raw: '139 0013 9000', type: 'cell' }],
  emails: ['wq@xinghe.cn'],
  urls: [],
};
const mine: CustomerBrief = {
  id: 'c-1',
  access: 'full',
  name: '王强',
  org: '星河科技',
  owner: { id: 'me', name: '我' },
};
const theirs: CustomerBrief = {
  id: 'c-2',
  access: 'limited',
  name: '王强',
  org: '星河集团',
  owner: { id: 'u-9', name: '李娜' },
};

function show(route: ScanRoute) {
  const handlers = { onOpenCustomer: jest.fn(), onCreate: jest.fn(), onSearch: jest.fn(), onRescan: jest.fn() };
  render(<ScanResultView route={route} {...handlers} />);
  return handlers;
}

test('limited: says who owns the customer and shows no history', () => {
  show({ kind: 'limited', customer: theirs });
  expect(screen.getByTestId('scan-limited').textContent).toContain('该客户属于 李娜');
  expect(screen.queryByTestId('timeline')).toBeNull();
});

test('ambiguous: a short list to choose from, plus a way to create a new one', () => {
  const h = show({ kind: 'ambiguous', candidates: [mine, theirs], card });
  const rows = screen.getAllByTestId('candidate');
  expect(rows).toHaveLength(2);
  expect(rows[1]?.textContent).toContain('他人客户');
  fireEvent.click(rows[0] as HTMLElement);
  expect(h.onOpenCustomer).toHaveBeenCalledWith(mine);
  expect(screen.getByTestId('new-customer-form')).toBeTruthy();
});

test('new: the form is pre-filled from the card and saves what the rep edited', () => {
  const h = show({ kind: 'new', card });
  expect((screen.getByTestId('new-name') as HTMLInputElement).value).toBe('王强');
  expect((screen.getByTestId('new-org') as HTMLInputElement).value).toBe('星河科技');
  expect((screen.getByTestId('new-phone') as HTMLInputElement).value).toBe('139 0013 9000');
  fireEvent.change(screen.getByTestId('new-title'), { target: { value: '采购总监' } });
  fireEvent.click(screen.getByTestId('save-customer'));
  expect(h.onCreate).toHaveBeenCalledWith(
    expect.objectContaining({
      name: '王强',
      org: '星河科技',
      title: '采购总监',
      phones: card.phones,
      emails: ['wq@xinghe.cn'],
    }),
  );
});

test('new: a name is required', () => {
  const h = show({ kind: 'new', card: { ...card, name: undefined, family: undefined, given: undefined } });
  fireEvent.click(screen.getByTestId('save-customer'));
  expect(screen.getByRole('alert').textContent).toBe('请填写客户姓名');
  expect(h.onCreate).not.toHaveBeenCalled();
});

test('unreadable: a clear message and a phone-number search', () => {
  const h = show({ kind: 'unreadable', message: '没有读出名片信息。可以重新扫描，或直接输入手机号查找。' });
  expect(screen.getByRole('alert').textContent).toContain('没有读出名片信息');
  fireEvent.change(screen.getByTestId('phone-search'), { target: { value: ' 0013 ' } });
  fireEvent.click(screen.getByText('查找'));
  expect(h.onSearch).toHaveBeenCalledWith('0013');
  fireEvent.click(screen.getByText('重新扫描'));
  expect(h.onRescan).toHaveBeenCalled();
});
