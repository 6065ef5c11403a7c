/** Wraps a store to count writes and failures, without the core or the stores knowing. */
import type { RecommendationStore } from "../store/types.js";
import type { Metrics } from "./metrics.js";

export function instrumentStore(store: RecommendationStore, metrics: Metrics): RecommendationStore {
  const track = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      metrics.storeErrors.inc({ operation });
      throw error;
    }
  };
  return {
    init: () => track("init", () => store.init()),
    recommend: (input) =>
      track("recommend", async () => {
        const result = await store.recommend(input);
        if (result.outcome !== "unchanged") metrics.recommendationsWritten.inc({ outcome: result.outcome });
        return result;
      }),
    remove: (input) =>
      track("remove", async () => {
        const removed = await store.remove(input);
        if (removed) metrics.recommendationsWritten.inc({ outcome: "removed" });
        return removed;
      }),
    get: (place, member, tool) => track("get", () => store.get(place, member, tool)),
    forTool: (scope, tool, limit) => track("forTool", () => store.forTool(scope, tool, limit)),
    tallies: (scope, limit) => track("tallies", () => store.tallies(scope, limit)),
    changesSince: (platform, workspace, member, since) =>
      track("changesSince", () => store.changesSince(platform, workspace, member, since)),
    ping: () => track("ping", () => store.ping()),
    close: () => store.close(),
  };
}
