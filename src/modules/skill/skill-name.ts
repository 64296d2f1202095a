/** "  Phone   Support " → "Phone Support": how a skill is shown. */
export const tidySkillName = (name: string): string => name.trim().replace(/\s+/g, ' ');

/** "Phone  SUPPORT" → "phone support": two spellings of one skill are one skill. */
export const normalizeSkillName = (name: string): string => tidySkillName(name).toLowerCase();
