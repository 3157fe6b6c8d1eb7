/** Creating and changing properties. */
import { changedFields } from '../entity.ts';
import { assertMayAttempt, authorize } from '../permissions.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import {
  applyPropertyUpdate,
  type CreatePropertyInput,
  createPropertyInputSchema,
  type Property,
  type UpdatePropertyInput,
  updatePropertyInputSchema,
} from '../property.ts';
import type { Principal } from '../team.ts';
import { parseInput } from '../validation.ts';
import { beginOperation, conflictError, found, type OperationResult } from './operation.ts';

export interface PropertyResult extends OperationResult {
  readonly property: Property;
}

export async function createProperty({
  ports,
  principal,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'changes'>;
  principal: Principal;
  input: CreatePropertyInput | unknown;
}): Promise<PropertyResult> {
  authorize({ principal, action: 'property.create', resource: { tenantId: principal.tenantId } });
  const settings = parseInput({ schema: createPropertyInputSchema, input, what: 'property' });
  const { at, audit, newId } = beginOperation({ ports, principal });
  const property: Property = {
    ...settings,
    tenantId: principal.tenantId,
    id: newId('property'),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  audit.record({
    action: 'property.created',
    target: { kind: 'property', id: property.id },
    propertyId: property.id,
    details: { name: property.name, timeZone: property.timeZone },
  });
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'property', op: 'create', value: property }],
    auditEvents: audit.events,
  });
  if (!outcome.ok) throw conflictError(outcome.conflict);
  return { property, events: audit.events };
}

const auditedPropertyFields = [
  'name',
  'address',
  'timeZone',
  'checkInTime',
  'checkOutTime',
  'codeBufferBeforeMinutes',
  'codeBufferAfterMinutes',
  'codePushLeadHours',
  'guestEmailLeadHours',
  'readinessCheckHours',
  'guestUnlockPhoneDigits',
] as const satisfies readonly (keyof Property)[];

/**
 * Changes a property's details or access rules. Existing grants keep the windows they were issued with; new
 * bookings and later modifications use the new rules.
 */
export async function updateProperty({
  ports,
  principal,
  propertyId,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'properties' | 'changes'>;
  principal: Principal;
  propertyId: string;
  input: UpdatePropertyInput | unknown;
}): Promise<PropertyResult & { readonly changed: boolean }> {
  assertMayAttempt({ principal, action: 'property.update' });
  const property = found(await ports.properties.get({ tenantId: principal.tenantId, propertyId }), {
    entity: 'property',
    id: propertyId,
  });
  authorize({ principal, action: 'property.update', resource: { tenantId: property.tenantId, propertyId } });
  const update = parseInput({ schema: updatePropertyInputSchema, input, what: 'change to the property' });
  const { at, audit } = beginOperation({ ports, principal });
  const next = applyPropertyUpdate({ property, update, at });
  const changed = changedFields(property, next, auditedPropertyFields);
  if (changed.length === 0) return { property, changed: false, events: [] };
  audit.record({
    action: 'property.updated',
    target: { kind: 'property', id: propertyId },
    propertyId,
    details: { changed },
  });
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'property', op: 'update', value: next }],
    auditEvents: audit.events,
  });
  if (!outcome.ok) throw conflictError(outcome.conflict);
  return { property: next, changed: true, events: audit.events };
}
