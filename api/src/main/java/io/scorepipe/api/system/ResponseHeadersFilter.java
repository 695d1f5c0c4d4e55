package io.scorepipe.api.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code X-Content-Type-Options: nosniff} on every answer, so that a browser never runs a CSV or
 * JSON answer as something else; {@code Cache-Control: no-store} on API answers, which hold
 * predictions and model details that no shared cache should keep. The static pages of the API
 * description may be cached.
 */
class ResponseHeadersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (!isStaticPage(request.getRequestURI())) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        chain.doFilter(request, response);
    }

    private static boolean isStaticPage(String path) {
        return path.startsWith("/swagger-ui/") || path.startsWith("/webjars/");
    }
}
