// Saves text as a file from the browser (the desktop app uses its save dialog instead).
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke later: some browsers read the URL asynchronously after click().
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** tftp-desk-2024-05-01T10-20-30.log */
export function logFileName(now: Date): string {
  return `tftp-desk-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.log`;
}
