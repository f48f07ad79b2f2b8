import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	clearScreen: false,
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'jsdom'
	}
});
