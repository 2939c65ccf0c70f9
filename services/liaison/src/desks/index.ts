// The foreign liaison desk registry: desks, their keys, and who may see them.
export { deskStream } from './desk.ts';
export type { Desk, DeskDirectory } from './desk.ts';
export { deskDecider, DeskNotRegisteredError } from './desk-decider.ts';
export type { DeskCommand, DeskEvent, DeskState } from './desk-decider.ts';
export { createDeskDirectory } from './desk-directory.ts';
export { registerDeskRoutes } from './desk-routes.ts';
export type { DeskRouteDependencies } from './desk-routes.ts';
