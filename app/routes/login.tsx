export default function Login() {
  return (
    <main className="page narrow">
      <h1>Sign in to RefriTrak</h1>
    </main>
  );
}
