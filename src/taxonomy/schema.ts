/**
 * The shape of one data file (data/areas/<area-id>.yaml): an area, its listed tools, and the
 * items the article mentions in passing. Parsed with zod at load, so a broken edit fails
 * start-up with the file, the entry and the field.
 */
import { z } from "zod";
import { halfWidthPunctuationIn, straySpaceIn } from "../text/normalize.js";

export const STATUSES = [
  "active",
  "maintenance",
  "archived",
  "deprecated",
  "discontinued",
  "merged",
  "commercial",
] as const;
export type Status = (typeof STATUSES)[number];

export const LICENSE_KINDS = ["permissive", "copyleft", "source-available", "proprietary", "mixed"] as const;
export type LicenseKind = (typeof LICENSE_KINDS)[number];

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and single hyphens (kebab-case)");

const text = z.string().trim().min(1, "must not be empty");

/**
 * Chinese text as Chinese is set: no space between Chinese characters or next to full-width
 * punctuation (a space between Chinese and a Latin word is fine), and full-width punctuation
 * next to Chinese. Line breaks inside a folded YAML block do not count: the loader joins them
 * (load.ts), so only a space typed on one line is reported.
 */
const zhText = text.superRefine((s, ctx) => {
  const space = straySpaceIn(s);
  if (space !== undefined)
    ctx.addIssue({
      code: "custom",
      message: `has a stray space in Chinese text (“${space}”): remove it; a space belongs only between Chinese and a Latin word`,
    });
  const punctuation = halfWidthPunctuationIn(s);
  if (punctuation !== undefined)
    ctx.addIssue({
      code: "custom",
      message: `uses ASCII punctuation next to Chinese (“${punctuation}”): use the full-width form (，。；：（）！？)`,
    });
});

/** Every user-facing text exists in English and Simplified Chinese. */
export const localizedSchema = z.strictObject({
  en: text,
  zh: zhText.regex(/[\u3400-\u9fff]/, "must contain Chinese text"),
});
export type Localized = z.infer<typeof localizedSchema>;

/** A name with a Chinese form that may be the same product name or use Chinese words. */
export const localizedNamesSchema = z.strictObject({ en: text, zh: zhText });

/**
 * One thing to use instead (or what it became): a bare name, the same in both languages
 * ("Podman"), or one with a Chinese form ({ en: CNI plugins, zh: CNI 插件 }). The status line
 * supplies the wording ("use … instead", "now part of …"), so a name carries no sentence
 * ("the maintained fork …", "… or any hosted CI"): validate.ts checks that.
 */
export const successorNameSchema = z.union([text, localizedNamesSchema]);
export type SuccessorName = z.infer<typeof successorNameSchema>;

const httpsUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL" });
/** The article's own links are facts from 2019: many are plain http, and that is kept. */
const anyWebUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

export const toolSchema = z.strictObject({
  id,
  name: text,
  /** A Chinese name, only where Chinese speakers actually use one. */
  nameZh: text.optional(),
  /** Abbreviations, former names, the article's own spelling, repository names. */
  aliases: z.array(text).default([]),
  /** The name exactly as the 2019 article lists it ("Habor", "CargoOS"). */
  articleName: text,
  /** The link the article gave, as a fact; shown only where it differs and is still safe. */
  articleUrl: anyWebUrl,
  /** False when the article's link now points at a domain run by someone else or gone. */
  articleUrlSafe: z.boolean().default(true),
  homepage: httpsUrl.optional(),
  repository: httpsUrl.optional(),
  summary: localizedSchema,
  description: localizedSchema,
  tags: z.array(text).min(1),
  status: z.enum(STATUSES),
  /** The year the status took effect (archived 2019, discontinued 2021...). */
  statusYear: z.number().int().min(2000).max(2100).optional(),
  /** What to use instead, or what it became: bare names, in order ([containerd, CRI-O, Podman]). */
  successor: z.array(successorNameSchema).optional(),
  /** Successors that are entries in the taxonomy, by id. */
  successorIds: z.array(id).default([]),
  /** A short extra fact about today's state (owner, rename, licence change). */
  note: localizedSchema.optional(),
  license: text,
  licenseKind: z.enum(LICENSE_KINDS),
  /** Related tools or alternatives, by id (tools or mentions, any area). */
  related: z.array(id).default([]),
});
export type ToolRecord = z.infer<typeof toolSchema>;

/** Something the article names without listing it: points at the tool or area it belongs to. */
export const mentionSchema = z.strictObject({
  id,
  name: text,
  nameZh: text.optional(),
  aliases: z.array(text).default([]),
  summary: localizedSchema,
  tags: z.array(text).default([]),
  /** The listed tool this item belongs to (Kibana -> elasticstack), if any. */
  tool: id.optional(),
  homepage: httpsUrl.optional(),
  /**
   * False for a successor the cards name that the 2019 article does not (containerd, Podman):
   * it gets an entry so that its name answers and successor buttons open it, but it is not
   * listed among the area's "also mentioned in the article" items. Some tool must name it in
   * successorIds (validate.ts). Absent means true.
   */
  inArticle: z.boolean().optional(),
});
export type MentionRecord = z.infer<typeof mentionSchema>;

export const areaFileSchema = z.strictObject({
  id,
  /** Position in the article, 1..14. */
  order: z.number().int().min(1),
  /** The English name and the article's own Chinese heading. */
  name: localizedSchema,
  aliases: z.array(text).default([]),
  /** An embed colour for platforms that use one, #rrggbb. */
  color: z.string().regex(/^#[0-9a-f]{6}$/i, "must be a #rrggbb colour"),
  summary: localizedSchema,
  /** The article's key points about the area, as short facts in both languages. */
  keyPoints: z.array(localizedSchema).default([]),
  tools: z.array(toolSchema).min(1),
  mentions: z.array(mentionSchema).default([]),
});
export type AreaFile = z.infer<typeof areaFileSchema>;

/** data/ambiguous.yaml: names that legitimately mean more than one entry. */
export const ambiguousFileSchema = z.array(
  z.strictObject({
    name: text,
    entries: z.array(id).min(2),
  }),
);
export type AmbiguousName = z.infer<typeof ambiguousFileSchema>[number];
