import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Capacity units DynamoDB reported, summed over every call made through one client. */
export interface CapacityMeter {
  readonly client: DynamoDBDocumentClient;
  readonly read: () => number;
  readonly write: () => number;
  /** Write requests sent (a BatchWriteItem counts its items): what bounds DynamoDB Local. */
  readonly writeRequests: () => number;
  reset(): void;
}

type Consumed = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

/**
 * A document client that asks DynamoDB to report consumed capacity on every call and adds it up,
 * so the benchmark measures what the store really spends rather than an estimate.
 */
export function meteredClient(): CapacityMeter {
  const raw = new DynamoDBClient({ maxAttempts: 6 });
  let read = 0;
  let write = 0;
  let writeRequests = 0;
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const command = context.commandName ?? '';
      if (/BatchWrite/.test(command)) {
        const items = input.RequestItems as Record<string, unknown[]> | undefined;
        writeRequests += Object.values(items ?? {}).reduce((sum, list) => sum + list.length, 0);
      } else if (/Put|Update|Delete/.test(command)) writeRequests += 1;
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Consumed | Consumed[] };
      const consumed = output.ConsumedCapacity;
      for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        read += entry.ReadCapacityUnits ?? 0;
        write += entry.WriteCapacityUnits ?? 0;
        if (entry.ReadCapacityUnits === undefined && entry.WriteCapacityUnits === undefined) {
          // Calls that report only a total: reads and writes are told apart by the command.
          const name = context.commandName ?? '';
          if (/Query|Get|Scan/.test(name)) read += entry.CapacityUnits ?? 0;
          else write += entry.CapacityUnits ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  const client = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    client,
    read: () => read,
    write: () => write,
    writeRequests: () => writeRequests,
    reset: () => {
      read = 0;
      write = 0;
      writeRequests = 0;
    },
  };
}
