import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api-client.ts';
import { FormError } from '../components/form-error.tsx';

/** Sign-in: a session cookie for the browser; what each role may see is decided by the server. */
export function SignInScene() {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => api('/auth/login', { method: 'POST', body: { username, password } }),
    onSuccess: () => void client.invalidateQueries(),
  });
  return (
    <main className="sign-in">
      <form
        className="form card"
        aria-label="Sign in"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate();
        }}
      >
        <h1>Concord</h1>
        <p>Sign in to coordinate security assistance.</p>
        <label>
          Username
          <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" className="primary" disabled={signIn.isPending}>
          Sign in
        </button>
        <FormError error={signIn.error} />
        <p className="hint">No account yet? An operator creates one with <code>npx concord user add NAME --role coordinator</code>.</p>
      </form>
    </main>
  );
}
