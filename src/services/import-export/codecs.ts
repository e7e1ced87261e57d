import type { EntityCodec, ImportEntity } from './entity.ts';
import { catalogCodec } from './entities/catalog.codec.ts';
import { requirementsCodec } from './entities/requirements.codec.ts';
import { pledgesCodec } from './entities/pledges.codec.ts';
import { deliveriesCodec } from './entities/deliveries.codec.ts';

/** The file layout of every importable entity. */
export const CODECS: Readonly<Record<ImportEntity, EntityCodec<any>>> = {
  catalog: catalogCodec,
  requirements: requirementsCodec,
  pledges: pledgesCodec,
  deliveries: deliveriesCodec,
};
