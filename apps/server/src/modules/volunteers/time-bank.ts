/** Points a stretch of approved volunteering is worth: whole points, rounded down, at `pointsPerHour`. */
export function pointsForMinutes(minutes: number, pointsPerHour: number): number {
  return Math.floor((minutes * pointsPerHour) / 60);
}
