/** A broken data file: every problem names the file, the entry and the field. */
export class DataError extends Error {
  constructor(readonly problems: string[]) {
    super(`The taxonomy data is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DataError";
  }
}
