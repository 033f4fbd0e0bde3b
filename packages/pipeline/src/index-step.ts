import type { PayloadOf } from '@gazette/jobs';
import type { BulkWriter } from '@gazette/search';

export interface IndexStepDeps {
  writer: BulkWriter;
}

/**
 * index: writes the record through the shared bulk writer under its
 * deterministic id. Resolves once Elasticsearch acknowledged this document.
 */
export async function indexStep(job: PayloadOf<'index'>, deps: IndexStepDeps): Promise<{ id: string }> {
  await deps.writer.write(job.record, job.target);
  return { id: job.record.id };
}
