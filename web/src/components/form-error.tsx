import { ApiError } from '../api-client.ts';

/** The server's message for one field, shown under it. */
export function FieldMessage({ error, field }: { error: unknown; field: string }) {
  const message = error instanceof ApiError ? error.fieldMessage(field) : undefined;
  return message ? (
    <span className="field-error" role="alert">
      {message}
    </span>
  ) : null;
}

/** The request's overall error, listing fields the form does not show. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as Error;
  return (
    <div className="form-error" role="alert">
      {e.message}
      {error instanceof ApiError && error.errors.length > 0 && (
        <ul>
          {error.errors.map((x) => (
            <li key={x.path + x.message}>
              <code>{x.path}</code> {x.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
