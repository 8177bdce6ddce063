export interface Migration {
  version: number;
  name: string;
  /** Raw SQL, run inside one transaction together with the user_version bump. */
  up: string;
}
