import type { Language } from '../core/types';
import type { LanguageModule } from '../core/language';
import { haproxyModule } from '../haproxy';
import { keepalivedModule } from '../keepalived';
import { corosyncModule } from '../corosync';

export const LANGUAGE_MODULES: Record<Language, LanguageModule<any>> = {
  haproxy: haproxyModule,
  keepalived: keepalivedModule,
  corosync: corosyncModule,
};
