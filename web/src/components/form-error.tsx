import { useId, type ReactNode } from 'react';
import { ApiError } from '../api-client.ts';

export interface FieldProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A labelled form control with the server's message for it underneath: the problem details' `errors[].path`
 * (`/quantity`, `/tranches/1/expectedOn`) lands under the control that `field` names.
 */
export function Field({ label, field, error, hint, children, className }: { label: ReactNode; field: string; error: unknown; hint?: string; children: (props: FieldProps) => ReactNode; className?: string }) {
  const id = useId();
  const messages = error instanceof ApiError ? error.fieldMessages(field) : [];
  const described = [hint ? `${id}-hint` : '', messages.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': messages.length ? true : undefined, 'aria-describedby': described })}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {messages.length > 0 && (
        <span className="field-error" id={`${id}-err`}>
          {messages.join('; ')}
        </span>
      )}
    </div>
  );
}

/** The request's overall error; field errors the form shows beside their controls are listed here too, once. */
export function FormError({ error, shown = [] }: { error: unknown; shown?: string[] }) {
  if (!error) return null;
  const e = error as Error;
  const others = error instanceof ApiError ? error.errors.filter((x) => !shown.some((f) => x.path === `/${f}` || x.path.startsWith(`/${f}/`))) : [];
  const title = error instanceof ApiError && error.status === 412 ? 'Someone else changed this record meanwhile: close and reopen it to see their change.' : e.message;
  return (
    <div className="form-error" role="alert">
      {title}
      {others.length > 0 && (
        <ul>
          {others.map((x) => (
            <li key={x.path + x.message}>
              <code>{x.path || '(request)'}</code> {x.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
