/**
 * A Kysely plugin that lets the event loop turn after each query. better-sqlite3 answers
 * synchronously, and Kysely resolves its promise at once, so a chain of awaited queries never
 * lets a timer, a socket or another request in until the whole chain is done: a report of a
 * few dozen queries over a national-scale year would hold every other request for its whole
 * length. With this, the longest hold is the longest single query. On PostgreSQL it costs a
 * turn of the loop a query, which is nothing next to the query.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

export class YieldBetweenQueries implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise((resolve) => setImmediate(resolve));
    return args.result;
  }
}
