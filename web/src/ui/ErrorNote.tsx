/** ErrorNote shows a failure where the data would be. */
export function ErrorNote({ text }: { text: string }) {
  return (
    <div class="error-note" role="alert">
      {text}
    </div>
  );
}
