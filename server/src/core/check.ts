// (placeholder, replaced in the next commit by the lead: the check pipeline parse -> bind -> analyse)
export {};
