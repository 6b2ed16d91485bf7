/** The five vendors an onboarding creates users in, in the order the saga reports them. */
export const VENDORS = ['netbird', 'siit', 'meetbit', 'meetergo', 'partoo'] as const;
export type VendorName = (typeof VENDORS)[number];

/** Human names, for messages and the Web UI. */
export const VENDOR_LABELS: Record<VendorName, string> = {
  netbird: 'NetBird',
  siit: 'Siit',
  meetbit: 'MeetBit',
  meetergo: 'meetergo',
  partoo: 'Partoo',
};

/** Each vendor's activities run on a task queue of their own, so its rate limit holds across workers. */
export function vendorTaskQueue(vendor: VendorName): string {
  return `vendor-${vendor}`;
}
