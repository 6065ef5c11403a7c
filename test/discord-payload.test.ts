/**
 * The interaction reader at the Discord edge: what is required, what is tolerated (read as
 * absent), what makes a command's or a component's data unreadable, and that no JSON at all
 * makes it throw.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commandData, componentData, readInteraction } from "../adapters/discord/payload.js";

const base = { id: "111", application_id: "222", type: 2, token: "tok" };

describe("readInteraction", () => {
  it("reads the fields used and drops the rest", () => {
    const read = readInteraction({
      ...base,
      guild_id: "g1",
      channel_id: "c1",
      channel: { id: "c1", name: "general" },
      member: {
        user: { id: "u1", username: "ana", global_name: null, avatar: "x" },
        nick: "Ana",
        permissions: "8192",
      },
      locale: "zh-CN",
      data: { name: "tool" },
      message: { flags: 64, interaction_metadata: { user: { id: "u1" } }, content: "hi" },
      brand_new_field: [1, 2, 3],
    });
    expect(read).toEqual({
      ...base,
      guild_id: "g1",
      channel_id: "c1",
      channel: { id: "c1" },
      member: { user: { id: "u1", username: "ana", global_name: null }, nick: "Ana", permissions: "8192" },
      user: undefined,
      locale: "zh-CN",
      data: { name: "tool" },
      message: { flags: 64, interaction_metadata: { user: { id: "u1" } }, interaction: undefined },
    });
  });

  it("refuses what lacks an id, application id, integer type or token, or is not an object", () => {
    for (const field of ["id", "application_id", "type", "token"] as const) {
      const { [field]: _, ...rest } = base;
      expect([field, readInteraction(rest)]).toEqual([field, undefined]);
    }
    expect(readInteraction({ ...base, type: 2.5 })).toBeUndefined();
    expect(readInteraction({ ...base, type: "2" })).toBeUndefined();
    expect(readInteraction({ ...base, id: "" })).toBeUndefined();
    expect(readInteraction({ ...base, id: "9".repeat(65) })).toBeUndefined();
    expect(readInteraction({ ...base, token: "t".repeat(1001) })).toBeUndefined();
    for (const raw of [null, "x", 42, [base], undefined]) expect(readInteraction(raw)).toBeUndefined();
  });

  it("reads malformed or oversized optional fields as absent, keeping the rest", () => {
    const read = readInteraction({
      ...base,
      guild_id: 42,
      channel: { name: "no id" },
      member: { user: { username: "no id" }, nick: "n".repeat(101), permissions: 8 },
      user: ["not", "an", "object"],
      locale: `en-${"x".repeat(70)}`,
      message: { flags: "64", interaction: { user: "u1" } },
    });
    expect(read).toMatchObject({
      ...base,
      guild_id: undefined,
      channel: undefined,
      member: { user: undefined, nick: undefined, permissions: undefined },
      user: undefined,
      locale: undefined,
      message: { flags: undefined, interaction: { user: undefined } },
    });
  });

  it("never throws, whatever JSON arrives", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (junk, data) => {
        readInteraction(junk);
        const withJunk = readInteraction({ ...base, member: junk, user: junk, message: junk, data });
        expect(withJunk?.id).toBe("111");
        commandData(data);
        componentData(data);
      }),
    );
  });
});

describe("commandData", () => {
  it("reads the name and nested options", () => {
    const options = [
      { name: "sub", type: 1, options: [{ name: "name", type: 3, value: "calico", focused: true }] },
    ];
    expect(commandData({ name: "tool", options, id: "1" })).toEqual({ name: "tool", options });
    expect(commandData({ name: "top" })).toEqual({ name: "top" });
  });

  it("is unreadable with no name, a bad option at any depth, or too many options", () => {
    expect(commandData({ options: [] })).toBeUndefined();
    expect(commandData({ name: "" })).toBeUndefined();
    expect(commandData({ name: "x".repeat(33) })).toBeUndefined();
    expect(
      commandData({ name: "tool", options: [{ name: "name", type: 3, value: { a: 1 } }] }),
    ).toBeUndefined();
    expect(
      commandData({ name: "tool", options: [{ name: "name", type: 3, focused: "yes" }] }),
    ).toBeUndefined();
    expect(
      commandData({ name: "tool", options: [{ name: "sub", type: 1, options: [{ type: 3, value: "x" }] }] }),
    ).toBeUndefined();
    const many = Array.from({ length: 26 }, (_, n) => ({ name: `o${n}`, type: 3, value: "v" }));
    expect(commandData({ name: "tool", options: many })).toBeUndefined();
    expect(commandData({ name: "tool", options: "name=calico" })).toBeUndefined();
  });
});

describe("componentData", () => {
  it("reads a button and a select menu", () => {
    expect(componentData({ custom_id: "st:tool:calico", component_type: 2 })).toEqual({
      custom_id: "st:tool:calico",
      component_type: 2,
    });
    expect(componentData({ custom_id: "m", component_type: 3, values: ["calico"] })).toEqual({
      custom_id: "m",
      component_type: 3,
      values: ["calico"],
    });
  });

  it("is unreadable with a long custom id, a non-integer type or bad values", () => {
    expect(componentData({ custom_id: "x".repeat(101), component_type: 2 })).toBeUndefined();
    expect(componentData({ custom_id: "x", component_type: "2" })).toBeUndefined();
    expect(componentData({ custom_id: "x", component_type: 3, values: [1] })).toBeUndefined();
    expect(componentData({ custom_id: "x", component_type: 3, values: ["v".repeat(101)] })).toBeUndefined();
    expect(componentData({ custom_id: "x", component_type: 3, values: Array(26).fill("v") })).toBeUndefined();
  });
});
