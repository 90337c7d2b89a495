"""The generated Reflex UI: one generic list state, one generic form state, one import state,
and page builders that turn each ModelAdmin into its pages (no page code per model)."""
