import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { useCaseAssignees, useCaseStep, useReferralTargets, type CaseStep } from './cases-api.js';

export type StepDialog = 'resolve' | 'reopen' | 'assign' | 'refer' | 'decline' | null;

interface Values {
  outcome?: string;
  reason?: string;
  assigneeId?: number;
  departmentId?: number;
}

const titles = {
  resolve: 'cases.resolve',
  reopen: 'cases.reopen',
  assign: 'cases.assign',
  refer: 'cases.refer',
  decline: 'cases.declineReferral',
} as const;

/** The steps that need a few words (an outcome, a reason) or a choice (a person, a department). */
export function CaseStepModal({ caseId, dialog, onClose }: { caseId: number; dialog: StepDialog; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const step = useCaseStep(caseId);
  const users = useCaseAssignees(caseId, dialog === 'assign');
  const departments = useReferralTargets(caseId, dialog === 'refer');

  const submit = async (v: Values) => {
    const text = (dialog === 'resolve' ? v.outcome : v.reason) ?? '';
    const body: CaseStep | null =
      dialog === 'resolve'
        ? { step: 'resolve', outcome: text }
        : dialog === 'reopen'
          ? { step: 'reopen', reason: text }
          : dialog === 'assign'
            ? { step: 'assign', assigneeId: v.assigneeId! }
            : dialog === 'refer'
              ? { step: 'refer', departmentId: v.departmentId!, reason: text }
              : dialog === 'decline'
                ? { step: 'referral/decline', reason: text }
                : null;
    if (body) await step.mutateAsync(body);
  };

  const textField = dialog === 'resolve' ? 'outcome' : 'reason';
  return (
    <FormModal<Values>
      open={dialog !== null}
      title={dialog ? t(titles[dialog]) : ''}
      form={form}
      onClose={onClose}
      submit={submit}
      submitTestId="case-step-submit"
      submitText={t('common.confirm')}
    >
      {dialog === 'assign' && (
        <Form.Item
          name="assigneeId"
          label={t('cases.assignee')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={users.isPending}
            options={(users.data ?? []).map((u) => ({
              value: u.id,
              label: `${u.displayName}（${t(`roles.${u.role}`)} · ${u.jurisdictionName}）`,
            }))}
            data-testid="case-assignee"
          />
        </Form.Item>
      )}
      {dialog === 'refer' && (
        <Form.Item
          name="departmentId"
          label={t('cases.department')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            loading={departments.isPending}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: `${d.name} · ${d.jurisdictionName}` }))}
            data-testid="case-department"
          />
        </Form.Item>
      )}
      {dialog !== 'assign' && dialog !== null && (
        <Form.Item
          // Named as the server names it, so its field errors land here.
          name={textField}
          label={t(dialog === 'resolve' ? 'cases.outcome' : 'cases.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={dialog === 'resolve' ? 2000 : 500}
            showCount
            data-testid="case-step-text"
          />
        </Form.Item>
      )}
    </FormModal>
  );
}
