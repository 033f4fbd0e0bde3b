import { resolve } from 'node:path';
import type { RawArchive } from './raw-archive.ts';
import type { ArchiveError } from './raw-page.ts';
import { S3Archive } from './s3-archive.ts';
import { WarcArchive } from './warc-archive.ts';

/** Archive settings as `loadConfig` parses them (see the runtime package's `archiveEnvShape`). */
export interface ArchiveSettings {
  ARCHIVE_DIR: string;
  /** Empty: the local folder `ARCHIVE_DIR`. Set: the S3 bucket that holds the archive. */
  ARCHIVE_S3_BUCKET?: string | undefined;
  ARCHIVE_S3_PREFIX?: string | undefined;
  ARCHIVE_S3_ENDPOINT?: string | undefined;
  ARCHIVE_S3_REGION?: string | undefined;
  ARCHIVE_S3_FORCE_PATH_STYLE?: boolean | undefined;
  ARCHIVE_S3_ACCESS_KEY_ID?: string | undefined;
  ARCHIVE_S3_SECRET_ACCESS_KEY?: string | undefined;
}

/** The archive the settings name: an S3 bucket when `ARCHIVE_S3_BUCKET` is set, else the local folder. */
export function openArchive(
  settings: ArchiveSettings,
  options: { writerId?: string; onWriteError?: (error: ArchiveError) => void } = {},
): RawArchive {
  if (!settings.ARCHIVE_S3_BUCKET) return new WarcArchive({ dir: resolve(settings.ARCHIVE_DIR), ...options });
  const { onWriteError: _local, ...s3Options } = options;
  return new S3Archive({
    bucket: settings.ARCHIVE_S3_BUCKET,
    keyPrefix: settings.ARCHIVE_S3_PREFIX ?? '',
    ...(settings.ARCHIVE_S3_ENDPOINT ? { endpoint: settings.ARCHIVE_S3_ENDPOINT } : {}),
    region: settings.ARCHIVE_S3_REGION ?? 'us-east-1',
    forcePathStyle: settings.ARCHIVE_S3_FORCE_PATH_STYLE ?? false,
    ...(settings.ARCHIVE_S3_ACCESS_KEY_ID && settings.ARCHIVE_S3_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: settings.ARCHIVE_S3_ACCESS_KEY_ID,
            secretAccessKey: settings.ARCHIVE_S3_SECRET_ACCESS_KEY,
          },
        }
      : {}),
    ...s3Options,
  });
}

/** Where the archive lives, for logs (no credentials). */
export function describeArchive(settings: ArchiveSettings): string {
  if (!settings.ARCHIVE_S3_BUCKET) return resolve(settings.ARCHIVE_DIR);
  const where = settings.ARCHIVE_S3_ENDPOINT ? ` at ${settings.ARCHIVE_S3_ENDPOINT}` : '';
  return `s3://${settings.ARCHIVE_S3_BUCKET}/${settings.ARCHIVE_S3_PREFIX ?? ''}${where}`;
}
