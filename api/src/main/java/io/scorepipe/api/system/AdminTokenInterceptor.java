package io.scorepipe.api.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;


/**
 * Guards the admin calls (everything under {@code /models} that changes state, and the reads that
 * show what callers sent: drift, the console's calls): a request needs
 * {@code Authorization: Bearer <token>}. Without a configured token the admin calls are refused,
 * never open.
 */
public class AdminTokenInterceptor implements HandlerInterceptor {

    private final AdminToken token;
    private final boolean guardsReads;

    /**
     * @param token the admin token
     * @param guardsReads whether reads need it too: those that show what callers sent (feature drift)
     */
    public AdminTokenInterceptor(AdminToken token, boolean guardsReads) {
        this.token = token;
        this.guardsReads = guardsReads;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!guardsReads && ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
            return true;
        }
        if (!token.configured()) {
            return refuse(response, HttpStatus.FORBIDDEN, "admin calls are disabled: no admin token is configured "
                    + "(set ADMIN_TOKEN_FILE)");
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (!token.authorizes(header)) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scorepipe-admin\"");
            return refuse(response, HttpStatus.UNAUTHORIZED, header == null
                    ? "this call needs an admin token: Authorization: Bearer <token>"
                    : "the admin token is wrong");
        }
        return true;
    }

    private static boolean refuse(HttpServletResponse response, HttpStatus status, String detail) throws Exception {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}");
        return false;
    }
}
