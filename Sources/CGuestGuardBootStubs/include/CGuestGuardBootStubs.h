/* Nothing to call: no-task-local-logger.c only defines symbols for guestguard-boot's release link. */
