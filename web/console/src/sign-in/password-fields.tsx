/**
 * Choosing a new password: the pool's rules listed before typing and ticked off while typing (in words, not
 * colour alone), and a second field to catch a typo in a password nobody can see.
 */
import { passwordRules, unmetRules } from '../password-rules.ts';
import { Field } from '../ui.tsx';

export interface NewPassword {
  readonly password: string;
  readonly confirmation: string;
}

/** What is wrong with the new password, per field; empty when it may be sent. */
export function checkNewPassword({ password, confirmation }: NewPassword): {
  password?: string;
  confirmation?: string;
} {
  const unmet = unmetRules(password);
  return {
    ...(unmet.length > 0
      ? { password: `The password needs: ${unmet.map((rule) => rule.description.toLowerCase()).join(', ')}.` }
      : {}),
    ...(confirmation !== password ? { confirmation: 'The two passwords are not the same.' } : {}),
  };
}

export function NewPasswordFields(props: {
  value: NewPassword;
  onChange: (value: NewPassword) => void;
  errors: { password?: string | undefined; confirmation?: string | undefined };
}) {
  const { value, onChange, errors } = props;
  return (
    <>
      <Field
        label="New password"
        type="password"
        autocomplete="new-password"
        required
        value={value.password}
        onValue={(password) => onChange({ ...value, password })}
        error={errors.password}
        hint={
          <ul class="rules" aria-label="Password rules">
            {passwordRules.map((rule) => {
              const met = rule.isMet(value.password);
              return (
                <li key={rule.description} class={met ? 'rule-met' : 'rule-unmet'}>
                  {rule.description}
                  <span class="visually-hidden">{met ? ' (done)' : ' (not yet)'}</span>
                </li>
              );
            })}
          </ul>
        }
      />
      <Field
        label="New password again"
        type="password"
        autocomplete="new-password"
        required
        value={value.confirmation}
        onValue={(confirmation) => onChange({ ...value, confirmation })}
        error={errors.confirmation}
      />
    </>
  );
}
