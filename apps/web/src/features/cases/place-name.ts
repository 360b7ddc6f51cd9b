/** A jurisdiction's English name when the reader reads English and it has one. */
export function placeName(name: string, nameEn: string | null | undefined, language: string): string {
  return language === 'en' && nameEn ? nameEn : name;
}
