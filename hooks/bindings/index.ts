/** The default bindings, one per file. A test checks every file in this folder is listed here. */
import type { BindingDefinition } from '../define-binding';
import clientAddRecordSubject from './client-add-record-subject';
import clientEditUpdateSubject from './client-edit-update-subject';
import clientCloseMarkSubject from './client-close-mark-subject';
import contactAddRecordSubject from './contact-add-record-subject';
import contactEditUpdateSubject from './contact-edit-update-subject';
import contactDeleteCloseSubject from './contact-delete-close-subject';
import abuseComplaintSuspendService from './abuse-complaint-suspend-service';

export const DEFAULT_BINDINGS: BindingDefinition[] = [
  clientAddRecordSubject,
  clientEditUpdateSubject,
  clientCloseMarkSubject,
  contactAddRecordSubject,
  contactEditUpdateSubject,
  contactDeleteCloseSubject,
  abuseComplaintSuspendService,
];
