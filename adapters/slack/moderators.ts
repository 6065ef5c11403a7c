/**
 * Who may remove someone else's recommendation on Slack: workspace admins and owners, as
 * users.info says (scope users:read). Answers are cached briefly; a failed or slow lookup
 * means "not a moderator", never an error for the member.
 */

/** The one Web API call this needs; Bolt's WebClient fits it. */
export interface UsersInfoClient {
  users: {
    info(args: { user: string }): Promise<{
      ok?: boolean;
      user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean };
    }>;
  };
}

export interface ModeratorLookupOptions {
  ttlMs: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
  onFailure?: (error: unknown) => void;
}

export class ModeratorLookup {
  private readonly cache = new Map<string, { value: boolean; expires: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: ModeratorLookupOptions) {
    this.maxEntries = options.maxEntries ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** True for an admin or owner of the workspace; false when unknown, failing or too slow. */
  async isModerator(
    client: UsersInfoClient,
    workspace: string,
    user: string,
    timeoutMs: number,
  ): Promise<boolean> {
    const key = `${workspace}\u0000${user}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return cached.value;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        client.users.info({ user }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("users.info timed out")), Math.max(0, timeoutMs));
        }),
      ]);
      const u = result.user;
      const value =
        result.ok !== false &&
        !!u &&
        (u.is_admin === true || u.is_owner === true || u.is_primary_owner === true);
      this.remember(key, value);
      return value;
    } catch (error) {
      this.options.onFailure?.(error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(key: string, value: boolean): void {
    this.cache.delete(key);
    this.cache.set(key, { value, expires: this.now() + this.options.ttlMs });
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
