import { fireEvent, render, screen } from '@testing-library/react';
import type { VisitDraft } from '../lib/visit-form';
import { VisitForm } from './VisitForm';

const bj = (s: string) => new Date(`${s}+08:00`);
const NOW = bj('2025-06-11T15:00:00'); // a Wednesday

function setup(props: Partial<Parameters<typeof VisitForm>[0]> = {}) {
  const onSubmit = jest.fn<void, [VisitDraft]>();
  render(
    <VisitForm
      customer={{ id: 'c-1', name: '张伟', org: '华东贸易' }}
      needChips={['返利', '交期']}
      now={() => NOW}
      offsetMin={480}
      onSubmit={onSubmit}
      {...props}
    />,
  );
  return { onSubmit };
}

const save = () => fireEvent.click(screen.getByTestId('save-visit'));
const type = (text: string) => fireEvent.change(screen.getByTestId('core-need'), { target: { value: text } });

describe('VisitForm', () => {
  test('shows the customer prefilled and exactly three fields plus the optional action type', () => {
    setup();
    expect(screen.getByTestId('visit-customer').textContent).toBe('张伟');
    expect(screen.getByText('本次沟通核心诉求')).toBeTruthy();
    expect(screen.getByText('承诺下次联系时间')).toBeTruthy();
    expect(screen.getByText(/动作类型/)).toBeTruthy();
    expect(screen.getAllByRole('textbox')).toHaveLength(1); // the only thing to type
  });

  test('saving without a core need shows the error and sends nothing', () => {
    const { onSubmit } = setup();
    save();
    expect(screen.getByRole('alert').textContent).toBe('请填写本次沟通的核心诉求');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  test('blank text does not count', () => {
    const { onSubmit } = setup();
    type('   ');
    save();
    expect(screen.getByText('请填写本次沟通的核心诉求')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  test('typing plus save is enough: 明天10:00 is preselected', () => {
    const { onSubmit } = setup();
    expect(screen.getByTestId('time-tomorrow10').getAttribute('aria-pressed')).toBe('true');
    type('想要季度返利方案');
    save();
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const draft = onSubmit.mock.calls[0]?.[0] as VisitDraft;
    expect(draft).toMatchObject({ customerId: 'c-1', coreNeed: '想要季度返利方案', actionType: null });
    expect(draft.nextContactAt?.toISOString()).toBe(bj('2025-06-12T10:00:00').toISOString());
  });

  test('quick chips pick the time; need chips and action type fill in', () => {
    const { onSubmit } = setup();
    fireEvent.click(screen.getByTestId('time-nextMonday10'));
    fireEvent.click(screen.getAllByTestId('need-chip')[0] as HTMLElement);
    fireEvent.click(screen.getAllByTestId('need-chip')[1] as HTMLElement);
    fireEvent.click(screen.getByTestId('action-objection_handling'));
    save();
    const draft = onSubmit.mock.calls[0]?.[0] as VisitDraft;
    expect(draft.coreNeed).toBe('返利；交期');
    expect(draft.actionType).toBe('objection_handling');
    expect(draft.nextContactAt?.toISOString()).toBe(bj('2025-06-16T10:00:00').toISOString());
  });

  test('the error clears once fixed', () => {
    const { onSubmit } = setup();
    save();
    expect(screen.queryByRole('alert')).toBeTruthy();
    type('交期');
    save();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  test('自定义 starts at tomorrow 10:00 and shows the date/time pickers', () => {
    const { onSubmit } = setup();
    fireEvent.click(screen.getByTestId('time-custom'));
    expect(screen.getByTestId('custom-date').textContent).toBe('2025-06-12');
    expect(screen.getByTestId('custom-time').textContent).toBe('10:00');
    type('返利');
    save();
    const draft = onSubmit.mock.calls[0]?.[0] as VisitDraft;
    expect(draft.nextContactAt?.toISOString()).toBe(bj('2025-06-12T10:00:00').toISOString());
  });

  test('a time that has passed while the form was open is refused', () => {
    let now = NOW;
    const { onSubmit } = setup({ now: () => now });
    type('返利');
    now = bj('2025-06-12T11:00:00'); // the rep left the form open overnight
    save();
    expect(screen.getByText('下次联系时间必须晚于现在')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
