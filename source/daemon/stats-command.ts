// Placeholder until this command is built; it refuses to run rather than pretend.
export async function runStats(_args: string[]): Promise<number> {
  process.stderr.write('jiraline: this command is not built yet\n');
  return 1;
}
