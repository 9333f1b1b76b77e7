// The seam between the engine's per-file check and the un-rendered template check: the engine asks for a
// mask before parsing, parses the masked text, and hands the raw findings back for filtering. A template's
// facts never reach the cluster layer (its values are unknown until rendered per host; templates/workspace.ts
// adds the rendered hosts instead).
import type { Diagnostic, Language } from '../core/types';
import { isTemplatePath } from './names';
import { hasJinja } from './jinja';
import { dropUndecidable, maskTemplate, type MaskedTemplate } from './mask';

/** The mask to parse instead of the text, or undefined when the file is not a template (or has no Jinja). */
export function templateMask(file: string, text: string, language: Language): MaskedTemplate | undefined {
  if (!isTemplatePath(file) || !hasJinja(text)) return undefined;
  return maskTemplate(text, language);
}

/** The findings of a masked parse that the un-rendered text supports. */
export function unrenderedFindings(raw: Diagnostic[], file: string, mask: MaskedTemplate | undefined): Diagnostic[] {
  return mask ? dropUndecidable(raw, file, mask) : raw;
}
