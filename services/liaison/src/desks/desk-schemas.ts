// The desk as the API shows it and the bodies that change it, in zod, so validation and the
// OpenAPI document come from the same event contracts.
import { z } from 'zod';
import { DeskIdSchema, DeskKeySetSchema, deskProfileFields, distinctItems } from '@nrm/contracts';

export const DeskSchema = z
  .object({ deskId: DeskIdSchema, ...deskProfileFields, keys: DeskKeySetSchema, revision: z.int().min(0).describe("the desk stream's revision, also sent as the ETag") })
  .describe('a registered foreign liaison desk');

export const DeskParamsSchema = z.strictObject({ deskId: DeskIdSchema });

export const DeskProfileBodySchema = z.strictObject(deskProfileFields).superRefine(distinctItems('borderGates')).superRefine(distinctItems('fieldProfile'));

export const DeskKeysBodySchema = z.strictObject({ keys: DeskKeySetSchema });
