/**
 * Which `users/{id}` each email key names (and the Chat app's key), as one process knows it. In Workspace an email names a
 * person only for a while: an account is renamed and its old address given to someone else. So
 * what Google answered in this deployment (an add's answer, a members.get) is the truth, and wins
 * over what a state records (the id Google answered when that state was written, which saves a
 * read but may be another person's now). Two states recording an email for two people leave it
 * unknown until Google is asked: a state's record alone never makes a declaration of the email
 * name someone else. The provider's claims (claims.ts) and the plan summary, which has only the
 * states (commands/plan/claims.ts), read it alike.
 */
import { canonicalOf, isEmailKey, sameKey, sameMember } from "./member-ref";

/**
 * Where an email's member comes from: Google's answer in this deployment (`answered`); a state's
 * record (`recorded`); or the record a declared resource's state holds for a key it still
 * declares, read at its diff (`declared`): what a plan of the deployment reads from the states of
 * the resources it keeps, whatever the order of the up's deletes; `plan`: such a record this
 * process takes for a plan's reading only, never for whom the email names (the calling user's
 * email, whom Google names).
 */
export type EmailSource = "answered" | "recorded" | "declared" | "plan";

export class EmailIds {
  /** Each email key's canonical member, lower-cased: as Google answered it, else as an undisputed record holds it. */
  private readonly ids: Record<string, string> = {};
  /** Email keys whose member Google answered in this deployment. */
  private readonly answeredKeys = new Set<string>();
  /** Email keys two records hold for two members, not answered yet. */
  private readonly disputed = new Set<string>();
  /** Each email key's canonical member as the declared resources' states record it (`declared`), Google's answers aside. */
  private readonly records: Record<string, string> = {};
  /** Email keys two of those records hold for two members. */
  private readonly recordsDisputed = new Set<string>();

  /** Each email key's member as far as known (none for a disputed one): for member-ref.ts `canonicalOf`. */
  get known(): Readonly<Record<string, string>> {
    return this.ids;
  }

  /** Whether Google answered `key`'s member in this deployment (not a state's record). */
  answered(key: string): boolean {
    return this.answeredKeys.has(key);
  }

  /**
   * `key`'s member as Google answered it in this deployment; undefined until it does, whatever a
   * state records. For a calling user's email (googlechat:impersonateUser, tokeninfo's answer):
   * the credentials act as whoever holds the address now, and a record of it, written when it may
   * have been someone else's, would keep that former holder as the caller and give the caller up.
   */
  answeredMember(key: string): string | undefined {
    return this.answeredKeys.has(key) ? this.ids[key] : undefined;
  }

  /**
   * Takes in `member` for `key`, as Google answered it, or as a state records it ({@link EmailSource}):
   * whether that changed what is known (worth telling the deployment's other processes).
   */
  take(key: string, member: string, source: EmailSource): boolean {
    const lower = member.toLowerCase();
    // The Chat app's key is no address anyone is given: the last member told for it stands (member-ref.ts `callingAppKeyOf`).
    if (!isEmailKey(key)) {
      if (this.ids[key] === lower) return false;
      this.ids[key] = lower;
      return true;
    }
    if (source === "plan") return this.recorded(key, lower);
    if (source === "answered") {
      if (this.answeredKeys.has(key) && this.ids[key] === lower) return false;
      this.answeredKeys.add(key);
      this.disputed.delete(key);
      this.ids[key] = lower;
      return true;
    }
    const newRecord = source === "declared" && this.recorded(key, lower);
    if (this.answeredKeys.has(key) || this.disputed.has(key) || this.ids[key] === lower) return newRecord;
    if (this.ids[key] === undefined) this.ids[key] = lower;
    else {
      this.disputed.add(key);
      delete this.ids[key];
    }
    return true;
  }

  /**
   * Takes `key` as disputed among the records, not answered: a state records it, but whether the
   * reader of these records will read that state can't be told (a plan, where a kept resource's
   * values are unknown until apply). Whom it names is then left to Google.
   */
  doubt(key: string): void {
    this.recordsDisputed.add(key);
    delete this.records[key];
    if (this.answeredKeys.has(key)) return;
    this.disputed.add(key);
    delete this.ids[key];
  }

  /** Takes in a state's record of `key`'s member for {@link recordedNames}: whether it is new. */
  private recorded(key: string, member: string): boolean {
    if (this.recordsDisputed.has(key) || this.records[key] === member) return false;
    if (this.records[key] === undefined) this.records[key] = member;
    else {
      this.recordsDisputed.add(key);
      delete this.records[key];
    }
    return true;
  }

  /**
   * Whether a declared `key` names the membership of `member` (canonical), which its own resource
   * declared by `spellings`: the member the declaring resource `holds` for the key where known
   * (claims.ts `HeldMember.member`: its state's or its write's, whomever the address names now);
   * else undefined where only Google can tell (an email not known, or disputed: the same spelling
   * may be two people then); else {@link namesMember}.
   */
  names(key: string, member: string, spellings: readonly string[], holds?: string): boolean | undefined {
    if (holds !== undefined) return sameMember(holds, member);
    return this.disputed.has(key) ? undefined : namesMember(key, member, spellings, this.ids);
  }

  /**
   * Whether a declared `key` names the membership of `member`, which its own resource declared by
   * `spellings`, as the declared resources' states tell it (`declared` records), Google's answers
   * in this deployment aside: the reading of a plan, which has only the states
   * (commands/plan/claims.ts), for a declaration holding no member yet (made at up).
   */
  recordedNames(key: string, member: string, spellings: readonly string[]): boolean | undefined {
    return this.recordsDisputed.has(key) ? undefined : namesMember(key, member, spellings, this.records);
  }
}

/**
 * Whether a declared key names the membership of `member` (canonical), which its own resource
 * declared by `spellings`: by the member `learned` says an email is (the address may have been
 * given to another person since its own resource declared it, whom the key names now), else by a
 * key that may be the same (member-ref.ts `sameKey`: a calling app of another project is another
 * app), else by the member `learned` says the key is; undefined when only Google can tell (an
 * email whose id is not known yet).
 */
export function namesMember(key: string, member: string, spellings: readonly string[], learned: Readonly<Record<string, string>>): boolean | undefined {
  const canonical = canonicalOf(key, learned);
  if (isEmailKey(key) && canonical !== undefined) return sameMember(canonical, member);
  if (spellings.some((spelling) => sameKey(spelling, key))) return true;
  if (canonical !== undefined) return sameMember(canonical, member);
  return isEmailKey(key) ? undefined : false;
}
