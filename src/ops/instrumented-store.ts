/** Wraps a store to count writes and failures, without the core or the stores knowing. */
import type { RateLimit, RecommendationStore, RecommendInput, RemoveInput } from "../store/types.js";
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
  // The rate limit is passed on as given: the store checks it inside the write.
  const recommend = ((input: RecommendInput, limit?: RateLimit) =>
    track("recommend", async () => {
      const result = limit ? await store.recommend(input, limit) : await store.recommend(input);
      if (result.outcome !== "unchanged" && result.outcome !== "rate_limited")
        metrics.recommendationsWritten.inc({ outcome: result.outcome });
      return result;
    })) as RecommendationStore["recommend"];
  const remove = ((input: RemoveInput, limit?: RateLimit) =>
    track("remove", async () => {
      const removed = limit ? await store.remove(input, limit) : await store.remove(input);
      if (removed === true) metrics.recommendationsWritten.inc({ outcome: "removed" });
      return removed;
    })) as RecommendationStore["remove"];
  return {
    init: () => track("init", () => store.init()),
    recommend,
    remove,
    removals: (scope, query) => track("removals", () => store.removals(scope, query)),
    get: (place, member, tool) => track("get", () => store.get(place, member, tool)),
    forTool: (scope, tool, limit) => track("forTool", () => store.forTool(scope, tool, limit)),
    tallies: (scope, limit) => track("tallies", () => store.tallies(scope, limit)),
    changesSince: (platform, workspace, member, since) =>
      track("changesSince", () => store.changesSince(platform, workspace, member, since)),
    ping: () => track("ping", () => store.ping()),
    close: () => store.close(),
  };
}
